import { useEngineConnection } from './useEngineConnection';

export function App() {
  const engine = useEngineConnection();
  return (
    <main>
      <h1>SQL concurrency playground</h1>
      <p data-testid="engine-status">
        {engine.state === 'loading' && 'Engine loading…'}
        {engine.state === 'ready' && engine.serverVersion}
        {engine.state === 'failed' && `The engine could not start: ${engine.message}`}
      </p>
    </main>
  );
}
