// Just enough of the JSON-LD processor's API for the fast path to build its templates. The package is
// installed as a dependency of the @digitalcredentials signing libraries (see docs/performance.md).

declare module '@digitalcredentials/jsonld' {
  export interface RdfTerm {
    termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
    value: string;
    datatype?: { termType: 'NamedNode'; value: string };
    language?: string;
  }
  export interface RdfQuad {
    subject: RdfTerm;
    predicate: RdfTerm;
    object: RdfTerm;
    graph: RdfTerm;
  }
  const jsonld: {
    toRDF(input: object, options: Record<string, unknown>): Promise<RdfQuad[]>;
    expand(input: object, options: Record<string, unknown>): Promise<unknown[]>;
  };
  export default jsonld;
}
