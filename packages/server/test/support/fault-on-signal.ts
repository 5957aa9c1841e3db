/**
 * Preloaded into a spawned server (`NODE_OPTIONS=--import=…`) by tests about process faults: on
 * SIGWINCH (a signal nothing else in the process listens to) it raises what `$RAISE_ON_SIGNAL` names,
 * outside any request — `rejection` (a promise nobody awaits rejects) or `exception` (an error
 * thrown from a timer).
 */
process.on('SIGWINCH', () => {
  if (process.env.RAISE_ON_SIGNAL === 'exception') {
    setImmediate(() => {
      throw new Error('test fault: uncaught exception');
    });
    return;
  }
  void Promise.reject(new Error('test fault: unhandled rejection'));
});
