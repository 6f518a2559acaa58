#!/usr/bin/env node
// Renders the app icon (resources/icon.svg) and the tray images to PNG with headless Chromium, so the PNGs are
// reproducible from sources in the repository: `node scripts/icons.mjs` (Chromium from CHROMIUM_PATH, else
// /usr/bin/chromium). The PNGs are committed; run this again after changing the SVG.
import { readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const resources = `${root}resources`;
const appSizes = [16, 32, 48, 64, 128, 256, 512];

/** The tray glyph: the same cycle of two arrows, drawn heavier so it reads at 16 px, plus a status badge. */
function traySvg(state) {
  const badges = {
    idle: '',
    syncing: '<circle cx="24" cy="24" r="7" fill="#2f6bd8" stroke="#fff" stroke-width="2"/><path d="M21 24h6M24 21v6" stroke="#fff" stroke-width="0"/><circle cx="24" cy="24" r="2.4" fill="#fff"/>',
    conflicts: '<path d="M24 15.5 31.5 29h-15z" fill="#e29a16" stroke="#fff" stroke-width="2" stroke-linejoin="round"/><path d="M24 20.5v4" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/><circle cx="24" cy="26.9" r="1.2" fill="#fff"/>',
    errors: '<circle cx="24" cy="24" r="7" fill="#d23b3b" stroke="#fff" stroke-width="2"/><path d="M21.3 21.3l5.4 5.4M26.7 21.3l-5.4 5.4" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>',
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
  <g fill="none" stroke="#3b4252" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M26.5 12.5A11 11 0 0 0 7 9.2"/>
    <path d="M5.5 19.5A11 11 0 0 0 25 22.8"/>
  </g>
  <path d="M3.6 5.6 7.6 11.6 11.4 6.4z" fill="#3b4252" stroke="#3b4252" stroke-width="1.2" stroke-linejoin="round"/>
  <path d="M28.4 26.4 24.4 20.4 20.6 25.6z" fill="#3b4252" stroke="#3b4252" stroke-width="1.2" stroke-linejoin="round"/>
  <rect x="11" y="12.5" width="10" height="7.5" rx="1.4" fill="#2f6bd8"/>
  <path d="M11 12.5v-1a1 1 0 0 1 1-1h3l1.2 1.4" fill="none" stroke="#2f6bd8" stroke-width="1.6" stroke-linejoin="round"/>
  ${badges[state]}
</svg>`;
}

async function render(page, svg, size) {
  const html = `<!doctype html><html><body style="margin:0;background:transparent">
    <img id="icon" width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(html);
  await page.locator('#icon').evaluate((image) => image.decode());
  return page.locator('#icon').screenshot({ omitBackground: true });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const icon = await readFile(`${resources}/icon.svg`, 'utf8');
  await mkdir(`${resources}/icons`, { recursive: true });
  await mkdir(`${resources}/tray`, { recursive: true });
  for (const size of appSizes) {
    await writeFile(`${resources}/icons/${size}x${size}.png`, await render(page, icon, size));
  }
  await copyFile(`${resources}/icons/512x512.png`, `${resources}/icon.png`);
  for (const state of ['idle', 'syncing', 'conflicts', 'errors']) {
    const svg = traySvg(state);
    await writeFile(`${resources}/tray/${state}.png`, await render(page, svg, 16));
    await writeFile(`${resources}/tray/${state}@2x.png`, await render(page, svg, 32));
  }
  // The window's favicon is the same SVG; the renderer cannot reach resources/ at runtime.
  await copyFile(`${resources}/icon.svg`, `${root}renderer/public/icon.svg`);
  console.log(`Wrote ${appSizes.length} app icons, icon.png and 8 tray images.`);
} finally {
  await browser.close();
}
