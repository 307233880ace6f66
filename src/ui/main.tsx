/**
 * The page's entry. The engine worker starts first, so that PostgreSQL boots while the rest of the
 * app (React, Monaco) downloads and starts; then the app mounts and picks the connection up.
 */
import { connectToEngine } from './worker/engineClient';

const engineConnection = connectToEngine();
// The app may mount after the engine failed; its hook reports the failure, not the console.
engineConnection.catch(() => undefined);

void import('./app/mountApp').then(({ mountApp }) => mountApp(engineConnection));
