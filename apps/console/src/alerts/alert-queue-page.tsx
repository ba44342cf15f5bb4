export function AlertQueuePage() {
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Alert queue</h1>
    </section>
  );
}
