import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/**
 * The mutation's result as subscribers see it: only the fields the mutation selected, keyed
 * by field name (aliases are the caller's, not part of the published record).
 */
export function pickSelected(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
): unknown {
  if (!selectionSet || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => pickSelected(v, selectionSet, fragments));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__typename') continue;
      const picked = pickSelected(source[name], selection.selectionSet, fragments);
      const previous = out[name];
      out[name] =
        previous && typeof previous === 'object' && picked && typeof picked === 'object'
          ? { ...previous, ...picked }
          : picked;
    } else {
      const set =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments[selection.name.value]?.selectionSet;
      Object.assign(out, pickSelected(source, set, fragments));
    }
  }
  return out;
}

/** `ctx.info.selectionSetList`: field paths below the resolved field, `/`-separated. */
export function selectionSetList(
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  prefix = '',
): string[] {
  if (!selectionSet) return [];
  const list: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const path = `${prefix}${selection.name.value}`;
      if (selection.name.value !== '__typename') list.push(path);
      list.push(...selectionSetList(selection.selectionSet, fragments, `${path}/`));
    } else {
      const set =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments[selection.name.value]?.selectionSet;
      list.push(...selectionSetList(set, fragments, prefix));
    }
  }
  return [...new Set(list)];
}
