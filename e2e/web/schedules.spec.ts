/**
 * Schedules end to end: created, edited, turned off and deleted from the Schedule dialog (by mouse and keyboard),
 * the next run shown in the dialog and in the grid, the French text; and a real folder pair set to "every 15
 * minutes" and "when files change" that keeps itself in sync after an edit, with the trigger in Sync results.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenshotDir, test } from '../support/fixtures.ts';

/** Saves the window as it is now, light and dark, beside the screenshots every test leaves. */
async function snapshot(window: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await window.emulateMedia({ colorScheme: scheme });
    await window.screenshot({ path: path.join(screenshotDir, `web-schedules-${name}${scheme === 'dark' ? '-dark' : ''}.png`) });
  }
  await window.emulateMedia({ colorScheme: 'light' });
}

/** axe finds no serious or critical violation in the open dialog. */
async function expectAccessible(window: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page: window }).include('dialog[open]').analyze();
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function openSchedules(window: Page, row: RegExp): Promise<void> {
  await window.getByRole('grid').getByRole('row', { name: row }).click();
  await window.getByRole('toolbar', { name: /Partnership actions|Actions/ }).getByRole('button', { name: /^(Schedule|Planifier)$/ }).click();
}

test.describe('the schedule editor', () => {
  test.use({ serveOptions: { scripted: { items: [{ id: 'photos', name: 'Photos', steps: 2 }, { id: 'music', name: 'Music', steps: 2 }] } } });

  test('creates an "every N minutes" schedule, shows its next run, edits, turns off and deletes it', async ({ window }) => {
    await window.getByRole('grid', { name: 'Sync partnerships' }).getByRole('row', { name: /Scripted fixture/ }).dblclick();
    await openSchedules(window, /Photos/);
    const dialog = window.getByRole('dialog', { name: 'Schedules of Photos' });
    await expect(dialog).toContainText('No schedules yet');
    await expect(dialog.getByRole('button', { name: 'New schedule' })).toBeFocused();
    await window.keyboard.press('Enter');

    const form = window.getByRole('dialog', { name: 'New schedule' });
    await expect(form.getByLabel('Name')).toBeFocused();
    await expect(form.getByLabel('When it syncs')).toHaveValue('interval');
    await form.getByLabel('Every (minutes)').fill('0');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await expect(form.getByText('Enter a whole number of minutes, 1 or more.')).toBeVisible();
    await expect(form.getByLabel('Every (minutes)')).toBeFocused();
    await window.keyboard.press('ControlOrMeta+a');
    await window.keyboard.type('15');
    const before = Date.now();
    await window.keyboard.press('Enter');

    const list = dialog.getByRole('list', { name: 'Schedules of Photos' });
    const entry = list.getByRole('listitem').filter({ hasText: 'Every 15 minutes' });
    await expect(entry).toContainText('Every 15 minutes · Only Photos');
    await expect(entry).toContainText('Next run');
    await expect(dialog.getByRole('switch', { name: 'Run Every 15 minutes' })).toBeChecked();
    await expect(window.getByRole('status').filter({ hasText: 'Schedule “Every 15 minutes” saved' })).toBeAttached();
    await snapshot(window, 'list');
    await expectAccessible(window);
    await window.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // The grid shows the next scheduled sync under the last sync, about 15 minutes from now.
    const row = window.getByRole('grid', { name: /Items of/ }).getByRole('row', { name: /Photos/ });
    await expect(row).toContainText('Next sync');
    await expect(row.locator('.next-sync')).toHaveAttribute('title', /^Next scheduled sync: /);
    const after = Date.now();
    // The time shown is 15 minutes after the save (either side of a minute boundary): the time alone, or with
    // the weekday if that crosses midnight.
    const expected = await window.evaluate(
      (times) =>
        times.flatMap((time) => [
          new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(time + 15 * 60_000),
          new Intl.DateTimeFormat('en', { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(time + 15 * 60_000),
        ]),
      [before, after],
    );
    const shown = (await row.locator('.next-sync').textContent()) ?? '';
    expect(expected.some((text) => shown === `Next sync ${text}`), `${shown} vs ${expected.join(' | ')}`).toBe(true);
    await expect(entry).toBeHidden();
    await expect(window.getByRole('grid', { name: /Items of/ }).getByRole('row', { name: /Music/ })).not.toContainText('Next sync');

    // Edit: every day at a time; then turn it off and delete it.
    await openSchedules(window, /Photos/);
    await dialog.getByRole('button', { name: 'Edit Every 15 minutes' }).click();
    const edit = window.getByRole('dialog', { name: 'Edit “Every 15 minutes”' });
    await edit.getByLabel('Name').fill('Mornings');
    await edit.getByLabel('When it syncs').selectOption('timeOfDay');
    await edit.getByLabel('Time', { exact: true }).fill('07:30');
    await edit.getByRole('checkbox', { name: 'Saturday' }).uncheck();
    await edit.getByRole('checkbox', { name: 'Sunday' }).uncheck();
    await edit.getByLabel('Only when the computer is on AC power').check();
    await snapshot(window, 'form');
    await expectAccessible(window);
    await edit.getByRole('button', { name: 'Save schedule' }).click();
    const mornings = list.getByRole('listitem').filter({ hasText: 'Mornings' });
    await expect(mornings).toContainText('At 07:30 on Mon, Tue, Wed, Thu, Fri · Only Photos · only on AC power');
    await dialog.getByRole('switch', { name: 'Run Mornings' }).uncheck();
    await expect(mornings).toContainText('Off');
    await dialog.getByRole('button', { name: 'Delete Mornings' }).click();
    await expect(dialog).toContainText('No schedules yet');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(row).not.toContainText('Next sync');
  });

  test('says in French when the window speaks French, the host’s refusal too', async ({ window }) => {
    await window.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Français' });
    await window.getByRole('grid', { name: 'Partenariats de synchronisation' }).getByRole('row', { name: /Scripted fixture/ }).dblclick();
    await openSchedules(window, /Music/);
    const dialog = window.getByRole('dialog', { name: 'Planifications de Music' });
    await expect(dialog).toContainText('Aucune planification');
    await dialog.getByRole('button', { name: 'Nouvelle planification' }).click();
    const form = window.getByRole('dialog', { name: 'Nouvelle planification' });
    await form.getByLabel('Toutes les (minutes)').fill('30');
    await form.getByRole('button', { name: 'Enregistrer la planification' }).click();
    const entry = dialog.getByRole('listitem').filter({ hasText: 'Toutes les 30 minutes' });
    await expect(entry).toContainText('Toutes les 30 minutes · Seulement Music');
    await expect(entry).toContainText('Prochaine exécution');
    await snapshot(window, 'french');
    await expect(window.getByRole('grid').getByRole('row', { name: /Music/ })).toContainText('Prochaine : ');

    // The scripted items have no files: "when files change" is refused by the host, with its reason, in the
    // window's language (the window told the host when it switched).
    await dialog.getByRole('button', { name: 'Nouvelle planification' }).click();
    await form.getByLabel('Quand synchroniser').selectOption('fileChange');
    await expect(form).toContainText('Les modifications faites par la synchronisation elle-même n’en déclenchent jamais une autre.');
    await form.getByRole('button', { name: 'Enregistrer la planification' }).click();
    await expect(form.getByRole('alert')).toContainText('n’a pas de fichiers à surveiller');
    await form.getByRole('button', { name: 'Annuler' }).click();
    await expect(dialog.getByRole('listitem')).toHaveCount(1);
  });
});

test.describe('a folder pair that keeps itself in sync', () => {
  let dir = ''; // stays empty when the test is skipped before its hooks (electron project, no binary)
  test.beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'schedules-e2e-'));
    mkdirSync(path.join(dir, 'laptop'));
    mkdirSync(path.join(dir, 'usb'));
  });
  test.afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  test('"every 15 minutes" and "when files change": an edit reaches the other side on its own', async ({ window }) => {
    const nav = window.getByRole('navigation', { name: 'Sync Center' });
    await nav.getByRole('button', { name: /Set up new sync partnerships/ }).click();
    await window.getByRole('button', { name: /A pair of folders/ }).click();
    await window.getByLabel('Partnership name').fill('Documents');
    await window.getByLabel('First folder').fill(path.join(dir, 'laptop'));
    await window.getByLabel('Second folder').fill(path.join(dir, 'usb'));
    await window.getByRole('button', { name: 'Set up partnership' }).click();
    const row = window.getByRole('grid', { name: /Items of Folders/ }).getByRole('row', { name: /Documents/ });
    await expect(row).toContainText('Not synced yet');

    await openSchedules(window, /Documents/);
    const dialog = window.getByRole('dialog', { name: 'Schedules of Documents' });
    await dialog.getByRole('button', { name: 'New schedule' }).click();
    await window.getByRole('dialog', { name: 'New schedule' }).getByRole('button', { name: 'Save schedule' }).click();
    await expect(dialog.getByRole('listitem').filter({ hasText: 'Every 15 minutes' })).toContainText('Next run');
    await dialog.getByRole('button', { name: 'New schedule' }).click();
    const form = window.getByRole('dialog', { name: 'New schedule' });
    await form.getByLabel('When it syncs').selectOption('fileChange');
    await form.getByLabel('Wait after the last change (seconds)').fill('0.5');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await expect(dialog.getByRole('listitem').filter({ hasText: 'When files change' })).toContainText('Runs when it happens');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(row).toContainText('Next sync');

    // Nobody clicks Sync: the edit on the laptop reaches the USB drive by itself.
    writeFileSync(path.join(dir, 'laptop', 'plan.txt'), 'written on the laptop\n');
    await expect.poll(() => existsSync(path.join(dir, 'usb', 'plan.txt')), { timeout: 20_000 }).toBe(true);
    expect(readFileSync(path.join(dir, 'usb', 'plan.txt'), 'utf8')).toBe('written on the laptop\n');
    await expect(row).toContainText('Synced', { timeout: 20_000 });
    // And back the other way.
    writeFileSync(path.join(dir, 'usb', 'reply.txt'), 'answered from the drive\n');
    await expect.poll(() => existsSync(path.join(dir, 'laptop', 'reply.txt')), { timeout: 20_000 }).toBe(true);

    await nav.getByRole('button', { name: /Sync results/ }).click();
    const results = window.getByRole('table', { name: 'Sync results' });
    await expect(results.getByRole('row').filter({ hasText: 'Automatic sync' }).first()).toContainText('Started by schedule “When files change”');
  });
});
