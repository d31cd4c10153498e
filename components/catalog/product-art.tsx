/**
 * A product's picture. The art is SVG, which `next/image` serves as-is (it never optimizes SVG
 * unless `dangerouslyAllowSVG` is set), so its client component would add about 5 kB of
 * first-load JavaScript to each page for nothing: a server-rendered `<img>` with the same
 * width, height and lazy loading is what the browser got anyway.
 */
export function ProductArt({
  src,
  alt,
  eager = false,
  className,
}: {
  src: string;
  alt: string;
  /** Above the fold: load at once, at high priority. */
  eager?: boolean;
  className?: string;
}) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- SVG art, served unoptimized anyway.
    <img
      src={src}
      alt={alt}
      width={400}
      height={400}
      loading={eager ? 'eager' : 'lazy'}
      fetchPriority={eager ? 'high' : undefined}
      decoding="async"
      className={className}
    />
  );
}
