/** The types of bin/compile.js, which runs before any TypeScript loader and so is JavaScript. */
export function compiledTree(folders?: string[]): Promise<URL | null>;
