// jest-dom's matchers (toBeInTheDocument, toHaveFocus...) for the jsdom test files; harmless elsewhere.
import '@testing-library/jest-dom/vitest';
import { WebSocket as NodeWebSocket } from 'ws';

// A browser's WebSocket for the React SDK's live updates in jsdom. jsdom's own is undici's, which
// under vitest's jsdom globals dispatches jsdom's Event on a Node EventTarget and throws ("The
// "event" argument must be an instance of Event"); `ws` is the same protocol without the DOM.
if (typeof document !== 'undefined') Object.defineProperty(globalThis, 'WebSocket', { value: NodeWebSocket, configurable: true, writable: true });

// waitFor and findBy* wait on a real server here, not on a mock: their deadline (1 s by default)
// grows with the machine's load like every other deadline of the suite (time-budget.ts).
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  const { budget } = await import('./time-budget.js');
  configure({ asyncUtilTimeout: budget(5_000) });
}
