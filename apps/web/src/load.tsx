import { useEffect, useRef, useState } from 'react';

export type Load<T> =
  | { status: 'idle'; data?: undefined; error?: undefined }
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: unknown };

/**
 * Loads when `key` changes (null: nothing to load yet); a newer load cancels the one still running.
 * While reloading, the previous data stays available so the page does not jump.
 */
export function useLoad<T>(key: string | null, loader: (signal: AbortSignal) => Promise<T>): Load<T> & { reload(): void } {
  const [state, setState] = useState<Load<T>>(key === null ? { status: 'idle' } : { status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', data: s.data }));
    loaderRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [key, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}
