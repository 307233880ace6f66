import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { EngineConnection } from '../worker/engineClient';
import { App } from './App';
import '../styles/theme.css';

export function mountApp(engineConnection: Promise<EngineConnection>): void {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');
  createRoot(container).render(
    <StrictMode>
      <App engineConnection={engineConnection} />
    </StrictMode>,
  );
}
