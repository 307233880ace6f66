/**
 * Finds a Chromium for the end-to-end tests and the web benchmark, and launches it headless.
 *
 * 1. `PLAYGROUND_CHROMIUM` (a path), if set;
 * 2. Debian's `/usr/bin/chromium`, if installed;
 * 3. otherwise the Chromium shipped inside the `@sparticuz/chromium` npm package (a devDependency,
 *    so a fresh machine with only Node and npm has it): its Brotli archives are unpacked once into
 *    `node_modules/.cache/`, with the NSS libraries the package also ships added to
 *    LD_LIBRARY_PATH when the system lacks them, and a fontconfig file of our own.
 *
 * Nothing is downloaded: everything comes from the npm package already installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

const debianChromium = '/usr/bin/chromium';

/** Flags that keep Chromium quiet and self-contained on a machine without network, running as root. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumInstallation {
  executablePath: string;
  /** Extra environment the binary needs (libraries, fonts). */
  env: Record<string, string>;
  source: 'PLAYGROUND_CHROMIUM' | 'debian' | '@sparticuz/chromium';
}

export function findChromium(): ChromiumInstallation {
  const fromEnvironment = process.env.PLAYGROUND_CHROMIUM;
  if (fromEnvironment) return { executablePath: fromEnvironment, env: {}, source: 'PLAYGROUND_CHROMIUM' };
  if (existsSync(debianChromium)) return { executablePath: debianChromium, env: {}, source: 'debian' };
  return unpackSparticuzChromium();
}

function unpackSparticuzChromium(): ChromiumInstallation {
  const require = createRequire(import.meta.url);
  // The package exports only its entry (build/cjs/index.cjs); its folder is two levels up.
  const packageDir = resolve(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const { version } = packageJson;
  const binDir = join(packageDir, 'bin');
  const cacheDir = resolve(packageDir, '..', '..', '.cache', `sparticuz-chromium-${version}`);
  const executablePath = join(cacheDir, 'chromium');

  if (!existsSync(executablePath)) {
    // Unpack into a private folder, then rename: parallel test processes never see half a browser.
    const staging = `${cacheDir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      join(staging, 'chromium'),
      brotliDecompressSync(readFileSync(join(binDir, 'chromium.br'))),
      {
        mode: 0o755,
      },
    );
    for (const archive of ['fonts.tar.br', 'swiftshader.tar.br', 'al2023.tar.br']) {
      const target = join(staging, archive.replace('.tar.br', ''));
      mkdirSync(target, { recursive: true });
      execFileSync('tar', ['-x', '-C', target], {
        input: brotliDecompressSync(readFileSync(join(binDir, archive))),
      });
    }
    writeFileSync(join(staging, 'fonts.conf'), fontconfig(cacheDir));
    try {
      renameSync(staging, cacheDir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  }

  const env: Record<string, string> = { FONTCONFIG_FILE: join(cacheDir, 'fonts.conf') };
  const libraryPath = [join(cacheDir, 'swiftshader')];
  if (missingSharedLibraries(executablePath)) libraryPath.push(join(cacheDir, 'al2023', 'lib'));
  env.LD_LIBRARY_PATH = [...libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { executablePath, env, source: '@sparticuz/chromium' };
}

/** The system's fonts when it has a fontconfig setup, plus the fonts the package ships. */
function fontconfig(cacheDir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(cacheDir, 'fonts')}</dir>
  <cachedir>${join(cacheDir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`;
}

function missingSharedLibraries(executablePath: string): boolean {
  if (process.env.PLAYGROUND_CHROMIUM_BUNDLED_LIBS === '1') return true;
  try {
    return execFileSync('ldd', [executablePath], { encoding: 'utf8' }).includes('not found');
  } catch {
    return true;
  }
}

/** Launches a headless Chromium with a fresh profile (Playwright makes a new user-data-dir per launch). */
export async function launchChromium(): Promise<{ browser: Browser; installation: ChromiumInstallation }> {
  const installation = findChromium();
  const browser = await chromium.launch({
    executablePath: installation.executablePath,
    headless: true,
    args: chromiumFlags,
    env: { ...process.env, ...installation.env } as Record<string, string>,
  });
  return { browser, installation };
}
