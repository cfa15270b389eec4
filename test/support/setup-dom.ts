// jest-dom's matchers (toBeInTheDocument, toHaveFocus...) for the jsdom test files; harmless elsewhere.
import '@testing-library/jest-dom/vitest';
import { WebSocket as NodeWebSocket } from 'ws';

// A browser's WebSocket for the React SDK's live updates in jsdom. jsdom's own is undici's, which
// under vitest's jsdom globals dispatches jsdom's Event on a Node EventTarget and throws ("The
// "event" argument must be an instance of Event"); `ws` is the same protocol without the DOM.
if (typeof document !== 'undefined') Object.defineProperty(globalThis, 'WebSocket', { value: NodeWebSocket, configurable: true, writable: true });
