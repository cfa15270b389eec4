// jest-dom's matchers (toBeInTheDocument, toHaveFocus...) for the jsdom test files; harmless elsewhere.
import '@testing-library/jest-dom/vitest';
