/** Read-only JSON or text in a scrollable block that keyboard users can reach and scroll. */
export function CodeBlock({ label, text }: { label: string; text: string }) {
  return (
    <section aria-label={label}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard */}
      <pre tabIndex={0}>{text}</pre>
    </section>
  );
}

export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return <CodeBlock label={label} text={JSON.stringify(value, null, 2) ?? 'null'} />;
}
