/**
 * Folder pairs end to end on real folders: set up through the window, synced by clicking, a concurrent edit of one
 * file resolved from the dialog's text diff (and named in Sync results), files deleted en masse brought back from the
 * dialog's decision, a folder whose sync data is gone started afresh from it, and a folder that went missing explained
 * in Sync results.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, inElectron, test } from '../support/fixtures.ts';

let dir = ''; // stays empty when the test is skipped before its hooks (electron project, no binary)
const at = (...parts: string[]) => path.join(dir, ...parts);
test.beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'folders-e2e-'));
  mkdirSync(at('laptop', 'notes'), { recursive: true });
  mkdirSync(at('usb'));
  writeFileSync(at('laptop', 'notes', 'report.txt'), 'Quarterly report\nFigures: pending\n');
  writeFileSync(at('usb', 'photo.jpg'), 'not really a photo');
});
test.afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Sets up a pair (by default laptop ↔ usb named Documents) from the setup view and returns its row. */
async function setUpPair(window: Page, pair = { name: 'Documents', first: 'laptop', second: 'usb' }): Promise<Locator> {
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await nav.getByRole('button', { name: /Set up new sync partnerships/ }).click();
  await window.getByRole('button', { name: /A pair of folders/ }).click();
  await window.getByLabel('Partnership name').fill(pair.name);
  await window.getByLabel('First folder').fill(at(pair.first));
  await window.getByLabel('Second folder').fill(at(pair.second));
  await window.getByRole('button', { name: 'Set up partnership' }).click();
  const row = window.getByRole('grid', { name: /Items of Folders/ }).getByRole('row', { name: new RegExp(pair.name) });
  await expect(row).toContainText('Not synced yet');
  return row;
}

async function syncAll(window: Page): Promise<void> {
  await window.getByRole('toolbar', { name: 'Partnership actions' }).getByRole('button', { name: 'Sync All' }).click();
}

test('a folder pair set up in the window syncs both ways', async ({ window }) => {
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  expect(readFileSync(at('usb', 'notes', 'report.txt'), 'utf8')).toBe('Quarterly report\nFigures: pending\n');
  expect(readFileSync(at('laptop', 'photo.jpg'), 'utf8')).toBe('not really a photo');
});

test('Browse shows where the pair lives and copies a path; Properties shows its options and what the last sync did', async ({ window, context }, testInfo) => {
  test.skip(inElectron(testInfo), 'electron project: Browse there opens the folders in the file manager (shell.openPath) instead of listing paths to copy; covered by main/ipc.test.ts › "Browse opens only a location the item itself lists, only for the app window"');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  await row.click();
  const toolbar = window.getByRole('toolbar', { name: 'Partnership actions' });
  await toolbar.getByRole('button', { name: 'Browse' }).click();
  const browse = window.getByRole('dialog', { name: 'Browse Documents' });
  await expect(browse).toContainText('A browser cannot open folders on this computer');
  await expect(browse.getByRole('textbox', { name: 'First folder' })).toHaveValue(at('laptop'));
  await expect(browse.getByRole('textbox', { name: 'Second folder' })).toHaveValue(at('usb'));
  await expect(browse.getByRole('button', { name: /^Open/ })).toHaveCount(0);
  await browse.getByRole('button', { name: 'Copy the path of the second folder' }).click();
  await expect(browse.getByRole('status')).toHaveText(`Copied ${at('usb')}.`);
  expect(await window.evaluate(() => navigator.clipboard.readText())).toBe(at('usb'));
  await browse.getByRole('button', { name: 'Close' }).click();
  await expect(browse).toBeHidden();

  await toolbar.getByRole('button', { name: 'Properties' }).click();
  const properties = window.getByRole('dialog', { name: 'Properties of Documents' });
  const options = properties.getByRole('region', { name: 'Options' });
  await expect(options).toContainText(at('laptop'));
  await expect(options).toContainText('Ask me (recommended)');
  await expect(options).toContainText(/Leaves out\s*Nothing/);
  const session = properties.getByRole('region', { name: 'Statistics of the last session' });
  await expect(session).toContainText('Finished successfully');
  await expect(session).toContainText(/Received by the second folder\s*2 new, 0 changed, 0 moved, 0 deleted/);
  await expect(session).toContainText(/Received by the first folder\s*1 new, 0 changed, 0 moved, 0 deleted/);
  await expect(session).toContainText(/Conflicts it left open\s*0/);
});

test('Delete asks first; cancelling keeps the partnership, confirming removes it and leaves every file', async ({ window }) => {
  const row = await setUpPair(window);
  await row.click();
  const toolbar = window.getByRole('toolbar', { name: 'Partnership actions' });
  await toolbar.getByRole('button', { name: 'Delete' }).click();
  const confirm = window.getByRole('alertdialog', { name: 'Delete the partnership “Documents”?' });
  await expect(confirm).toContainText('Its folders and files stay exactly where they are.');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await window.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(row).toBeVisible();
  await toolbar.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toBeHidden();
  expect(readFileSync(at('laptop', 'notes', 'report.txt'), 'utf8')).toBe('Quarterly report\nFigures: pending\n');
  expect(readFileSync(at('usb', 'photo.jpg'), 'utf8')).toBe('not really a photo');
});

test('a file edited on both sides is resolved from the diff with "Keep this version"', async ({ window }) => {
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  writeFileSync(at('laptop', 'notes', 'report.txt'), 'Quarterly report\nFigures: 42 (laptop)\n');
  writeFileSync(at('usb', 'notes', 'report.txt'), 'Quarterly report\nFigures: 41 (usb)\n');
  utimesSync(at('usb', 'notes', 'report.txt'), 1_800_000_000, 1_800_000_000);
  await syncAll(window);
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await expect(nav.getByRole('button', { name: /Sync conflicts/ })).toContainText('1', { timeout: 20_000 });
  await nav.getByRole('button', { name: /Sync conflicts/ }).click();
  await window.getByRole('table', { name: 'Sync conflicts' }).getByRole('button', { name: /Resolve notes\/report.txt/ }).click();
  const dialog = window.getByRole('dialog', { name: /Resolve conflict: notes\/report.txt/ });
  await expect(dialog).toContainText('Figures: 42 (laptop)');
  await expect(dialog).toContainText('Figures: 41 (usb)');
  await expect(dialog).toContainText(at('usb', 'notes', 'report.txt'));
  await dialog.getByRole('button', { name: /Keep this version \(right/ }).click();
  await expect(dialog).toBeHidden();
  await expect(window.getByRole('table', { name: 'Sync conflicts' })).toBeHidden();
  expect(readFileSync(at('laptop', 'notes', 'report.txt'), 'utf8')).toBe('Quarterly report\nFigures: 41 (usb)\n');
  // Sync results said what that sync found.
  await nav.getByRole('button', { name: /Sync results/ }).click();
  await expect(window.getByRole('table', { name: 'Sync results' }).getByRole('row', { name: /Conflicts to resolve/ })).toContainText('This sync found a new conflict: “notes/report.txt”.');
});

test('a folder that went missing is explained in Sync results, and nothing is deleted', async ({ window }) => {
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  rmSync(at('usb'), { recursive: true });
  await syncAll(window);
  await expect(row).toContainText(/Failed|Needs attention/, { timeout: 20_000 });
  await window.getByRole('navigation', { name: 'Sync Center' }).getByRole('button', { name: /Sync results/ }).click();
  const results = window.getByRole('table', { name: 'Sync results' });
  await expect(results.getByRole('row', { name: /Sync failed/ })).toContainText(at('usb'));
  await expect(results.getByRole('row', { name: /Sync failed/ })).toContainText('Documents');
  expect(readFileSync(at('laptop', 'notes', 'report.txt'), 'utf8')).toBe('Quarterly report\nFigures: pending\n');
});

test('files deleted en masse: the dialog asks what should happen to them, and "Bring the files back" restores them', async ({ window }) => {
  for (const name of ['a', 'b', 'c', 'd', 'e']) writeFileSync(at('laptop', 'notes', `${name}.txt`), `note ${name}\n`);
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  for (const name of ['a', 'b', 'c', 'd', 'e']) rmSync(at('laptop', 'notes', `${name}.txt`));
  await syncAll(window);
  await expect(row).toContainText(/Failed|Needs attention/, { timeout: 20_000 });
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await nav.getByRole('button', { name: /Sync conflicts/ }).click();
  await window.getByRole('table', { name: 'Sync conflicts' }).getByRole('button', { name: /^Resolve/ }).click();
  const dialog = window.getByRole('dialog', { name: `Resolve conflict: ${at('laptop')}` });
  await expect(dialog).toContainText(`Choose what happens to the files deleted in ${at('laptop')}`);
  await expect(dialog).toContainText('5 of 7 files deleted here');
  // The choice that loses nothing comes first, with the focus; the file choices are not offered for a whole side.
  await expect(dialog.getByRole('button', { name: 'Bring the files back' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Bring the files back' })).toHaveAccessibleDescription(`They are copied back into ${at('laptop')} from ${at('usb')}. Nothing is deleted.`);
  await expect(dialog.getByRole('button', { name: 'Delete them on the other side too' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Decide later' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Keep both|Keep the newer|Keep this version/ })).toHaveCount(0);
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Bring the files back' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  // The decision synced the pair: it no longer shows as failed.
  await nav.getByRole('button', { name: /Sync partnerships/ }).click();
  await expect(window.getByRole('grid').getByRole('row', { name: /Folders/ })).toContainText('Synced');
  for (const name of ['a', 'b', 'c', 'd', 'e']) {
    expect(readFileSync(at('laptop', 'notes', `${name}.txt`), 'utf8')).toBe(`note ${name}\n`);
    expect(readFileSync(at('usb', 'notes', `${name}.txt`), 'utf8')).toBe(`note ${name}\n`);
  }
});

test('a folder whose sync data is gone: the dialog offers to start it afresh, which merges both sides and deletes nothing', async ({ window }) => {
  const row = await setUpPair(window);
  await syncAll(window);
  await expect(row).toContainText('Synced', { timeout: 20_000 });
  rmSync(at('usb', '.synccenter'), { recursive: true });
  writeFileSync(at('usb', 'new on usb.txt'), 'written while unknown\n');
  await syncAll(window);
  await expect(row).toContainText(/Failed|Needs attention/, { timeout: 20_000 });
  await window.getByRole('navigation', { name: 'Sync Center' }).getByRole('button', { name: /Sync conflicts/ }).click();
  await window.getByRole('table', { name: 'Sync conflicts' }).getByRole('button', { name: /^Resolve/ }).click();
  const dialog = window.getByRole('dialog', { name: `Resolve conflict: ${at('usb')}` });
  await expect(dialog).toContainText(`If ${at('usb')} is on a drive that is not connected, connect it and sync again instead.`);
  await expect(dialog.getByRole('button', { name: 'Start this folder afresh' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: /Bring the files back|Delete them|Keep/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Start this folder afresh' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  expect(readFileSync(at('laptop', 'new on usb.txt'), 'utf8')).toBe('written while unknown\n');
  expect(readFileSync(at('usb', 'notes', 'report.txt'), 'utf8')).toBe('Quarterly report\nFigures: pending\n');
  expect(readFileSync(at('laptop', 'photo.jpg'), 'utf8')).toBe('not really a photo');
});

test('resolving in bulk leaves a safety stop out: it stays selected, and the bar says to decide it on its own', async ({ window }) => {
  mkdirSync(at('photos'));
  mkdirSync(at('backup'));
  const shots = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  for (const name of shots) writeFileSync(at('photos', `${name}.jpg`), `photo ${name}`);
  const documents = await setUpPair(window);
  const photos = await setUpPair(window, { name: 'Photos', first: 'photos', second: 'backup' });
  await syncAll(window);
  await expect(documents).toContainText('Synced', { timeout: 20_000 });
  await expect(photos).toContainText('Synced', { timeout: 20_000 });
  writeFileSync(at('laptop', 'notes', 'report.txt'), 'laptop edit\n');
  writeFileSync(at('usb', 'notes', 'report.txt'), 'usb edit\n');
  for (const name of shots.slice(0, 5)) rmSync(at('photos', `${name}.jpg`)); // a mass delete: 5 of 7
  await syncAll(window);
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await expect(nav.getByRole('button', { name: /Sync conflicts/ })).toContainText('2', { timeout: 20_000 });
  await nav.getByRole('button', { name: /Sync conflicts/ }).click();
  const table = window.getByRole('table', { name: 'Sync conflicts' });
  await table.getByRole('checkbox', { name: 'Select all conflicts' }).check();
  await window.getByRole('toolbar', { name: 'Resolve selected conflicts' }).getByRole('button', { name: 'Keep left' }).click();
  await expect(window.getByRole('status').filter({ hasText: 'safety stop was left out' })).toContainText('1 safety stop was left out: it is about a whole folder, so decide it on its own with Resolve.');
  await expect(table.getByRole('row', { name: /notes\/report\.txt/ })).toHaveCount(0);
  await expect(table.getByRole('row', { name: new RegExp(at('photos')) })).toBeVisible();
  await expect(window.getByText('1 selected')).toBeVisible();
  // The report kept the left version; nothing was deleted in the backup.
  expect(readFileSync(at('usb', 'notes', 'report.txt'), 'utf8')).toBe('laptop edit\n');
  for (const name of shots) expect(readFileSync(at('backup', `${name}.jpg`), 'utf8')).toBe(`photo ${name}`);
});
