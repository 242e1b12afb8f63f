/**
 * The modules of models made by freeze(): inference-only snapshots whose weights are
 * packed once for the GEMM and must never change (module.ts refuses loadStateDict on
 * them, fit refuses to train them). A file of its own so both can import it.
 */
export const frozenModules = new WeakSet<object>();
