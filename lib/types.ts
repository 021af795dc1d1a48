/** Type helpers shared by the registries (types only, no code). */

/** `A | B` → `A & B`: what every member of a union has together (each registry's entries joined into one type). */
export type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
