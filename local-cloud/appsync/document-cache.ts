import type { DocumentNode } from 'graphql';

/**
 * Parsed and validated GraphQL documents by their exact text. Validation depends only on the
 * schema and the text, and one engine has one schema, so a document that passed once passes
 * again: the status publisher sends the same mutation text for every update, and parsing plus
 * validating it was most of AppSync's CPU per publish. Only documents that passed are kept
 * (failures are rare and would let junk crowd out the useful entries). Bounded, dropping the
 * least recently used entry first.
 */
export class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly capacity = 500) {}

  get(text: string): DocumentNode | undefined {
    if (!cachingEnabled) return undefined;
    const document = this.documents.get(text);
    if (document) {
      // Re-inserted, so Map order is least recently used first.
      this.documents.delete(text);
      this.documents.set(text, document);
    }
    return document;
  }

  set(text: string, document: DocumentNode): void {
    if (!cachingEnabled) return;
    this.documents.set(text, document);
    if (this.documents.size > this.capacity) {
      this.documents.delete(this.documents.keys().next().value!);
    }
  }
}

let cachingEnabled = true;

/** Turns the cache off (and on again), for a before/after measurement in one process. */
export function setDocumentCaching(enabled: boolean): void {
  cachingEnabled = enabled;
}
