/** The `code` of the error f throws, or 'did not throw'. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'did not throw';
}
