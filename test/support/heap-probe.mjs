// Preloaded (node --expose-gc --import) into a server process that a test measures. It adds no
// route and changes nothing in the server: it only answers the test, over the IPC channel the
// test opened, with the heap in use (and the resident set) after full garbage collections.
if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'heap') return;
    // Several rounds: a round can free objects whose finalizers let the next free more.
    for (let round = 0; round < 3; round++) globalThis.gc();
    process.send({ type: 'heap', ...process.memoryUsage() });
  });
  // The channel must not keep a server that was told to stop alive.
  process.channel?.unref();
}
