/**
 * A real partnership end to end: two XML files on disk, set up through the window, synced, edited on both sides
 * at once, and the conflict resolved from the resolve dialog — by mouse, then by keyboard alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';

const replica = (email: string) => `<?xml version="1.0"?>\n<contacts>\n  <contact id="ana"><email>${email}</email></contact>\n</contacts>\n`;

let dir = ''; // stays empty when the test is skipped before its hooks (electron project, no binary)
test.beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'xml-e2e-'));
  writeFileSync(path.join(dir, 'laptop.xml'), replica('ana@example.org'));
  writeFileSync(path.join(dir, 'phone.xml'), replica('ana@example.org'));
});
test.afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function setUpAndConflict(window: Page): Promise<void> {
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await nav.getByRole('button', { name: /Set up new sync partnerships/ }).click();
  await window.getByRole('button', { name: /A pair of XML files/ }).click();
  await window.getByLabel('Partnership name').fill('Contacts');
  await window.getByLabel('First XML file').fill(path.join(dir, 'laptop.xml'));
  await window.getByLabel('Second XML file').fill(path.join(dir, 'phone.xml'));
  await window.getByRole('button', { name: 'Set up partnership' }).click();
  const row = window.getByRole('grid', { name: /Items of XML replicas/ }).getByRole('row', { name: /Contacts/ });
  await expect(row).toContainText('Not synced yet');
  const toolbar = window.getByRole('toolbar', { name: 'Partnership actions' });
  await toolbar.getByRole('button', { name: 'Sync All' }).click();
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  writeFileSync(path.join(dir, 'laptop.xml'), replica('ana@work.example'));
  writeFileSync(path.join(dir, 'phone.xml'), replica('ana@home.example'));
  await toolbar.getByRole('button', { name: 'Sync All' }).click();
  await expect(nav.getByRole('button', { name: /Sync conflicts/ })).toContainText('1', { timeout: 20_000 });
}

test('setup, sync, and "Keep this version" makes both files equal', async ({ window }) => {
  await setUpAndConflict(window);
  await window.getByRole('navigation', { name: 'Sync Center' }).getByRole('button', { name: /Sync conflicts/ }).click();
  await window.getByRole('table', { name: 'Sync conflicts' }).getByRole('button', { name: 'Resolve ana' }).click();
  const dialog = window.getByRole('dialog', { name: /Resolve conflict: ana/ });
  await expect(dialog).toContainText('ana@work.example');
  await expect(dialog).toContainText('ana@home.example');
  // An element has no time of its own: none is shown, and the handler says what keeping the newer version keeps instead.
  await expect(dialog).toContainText('keeping the newer version keeps the one the sync order puts last');
  await dialog.getByRole('button', { name: /Keep this version \(left/ }).click();
  await expect(dialog).toBeHidden();
  await expect(window.getByRole('table', { name: 'Sync conflicts' })).toBeHidden();
  expect(readFileSync(path.join(dir, 'phone.xml'), 'utf8')).toContain('ana@work.example');
  expect(readFileSync(path.join(dir, 'laptop.xml'), 'utf8')).toContain('ana@work.example');
});

test('a conflict can be resolved with the keyboard alone', async ({ window }) => {
  await setUpAndConflict(window);
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await nav.getByRole('button', { name: /Sync partnerships/ }).focus();
  await window.keyboard.press('ArrowDown');
  await window.keyboard.press('Enter');
  const resolve = window.getByRole('button', { name: 'Resolve ana' });
  for (let presses = 0; presses < 30 && !(await resolve.evaluate((element) => element === document.activeElement)); presses += 1) {
    await window.keyboard.press('Tab');
  }
  await expect(resolve).toBeFocused();
  await window.keyboard.press('Enter');
  const dialog = window.getByRole('dialog', { name: /Resolve conflict: ana/ });
  await expect(dialog.getByRole('button', { name: /Keep this version \(left/ })).toBeFocused();
  await window.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: /Keep this version \(right/ })).toBeFocused();
  await window.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect.poll(() => readFileSync(path.join(dir, 'laptop.xml'), 'utf8')).toContain('ana@home.example');
});
