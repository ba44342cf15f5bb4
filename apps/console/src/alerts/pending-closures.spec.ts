import {
  UNDO_WINDOW_MS,
  closeAfterUndoWindow,
  dismissClosureError,
  flushClosures,
  undoClosure,
} from './pending-closures';

describe('a resolve held for its undo window', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    flushClosures();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('is sent only when the window has passed', async () => {
    const commit = jest.fn(() => Promise.resolve());
    closeAfterUndoWindow('a1', 'resolve', 'Called', commit);
    await jest.advanceTimersByTimeAsync(UNDO_WINDOW_MS - 1);
    expect(commit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(undoClosure('a1')).toBe(false);
  });

  it('is never sent once undone', async () => {
    const commit = jest.fn(() => Promise.resolve());
    closeAfterUndoWindow('a2', 'dismiss', 'Duplicate', commit);
    expect(undoClosure('a2')).toBe(true);
    await jest.advanceTimersByTimeAsync(UNDO_WINDOW_MS * 2);
    expect(commit).not.toHaveBeenCalled();
  });

  it('keeps a refused action with its error until it is read', async () => {
    const commit = jest.fn(() => Promise.reject(new Error('Someone acted first')));
    closeAfterUndoWindow('a3', 'resolve', 'Called', commit);
    await jest.advanceTimersByTimeAsync(UNDO_WINDOW_MS);
    expect(undoClosure('a3')).toBe(false);
    dismissClosureError('a3');
    expect(undoClosure('a3')).toBe(false);
  });

  it('is sent at once, by a request that outlives the page, when the tab goes away', () => {
    const fetch = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{}'));
    const commit = jest.fn(() => Promise.resolve());
    closeAfterUndoWindow('a4', 'dismiss', 'Test reading', commit);
    flushClosures();
    expect(commit).not.toHaveBeenCalled();
    expect(fetch).toHaveBeenCalledWith(
      '/api/alerts/a4/dismiss',
      expect.objectContaining({
        method: 'POST',
        keepalive: true,
        body: JSON.stringify({ reason: 'Test reading' }),
      }),
    );
    expect(undoClosure('a4')).toBe(false);
  });
});
