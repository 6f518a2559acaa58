import { expect, test } from '../support/fixtures.ts';

test.describe('syncing partnerships', () => {
  test.use({
    serveOptions: {
      scripted: {
        items: [
          { id: 'photos', name: 'Photos', steps: 6, delayMs: 60 },
          { id: 'documents', name: 'Documents', steps: 6, delayMs: 60 },
          { id: 'music', name: 'Music', steps: 6, delayMs: 60 },
        ],
      },
    },
  });

  test('Sync All brings every item to succeeded', async ({ window }) => {
    const partnerships = window.getByRole('grid', { name: 'Sync partnerships' });
    await expect(partnerships.getByRole('row', { name: /Scripted fixture/ })).toBeVisible();
    await window.getByRole('toolbar', { name: 'Partnership actions' }).getByRole('button', { name: 'Sync All' }).click();
    await partnerships.getByRole('row', { name: /Scripted fixture/ }).dblclick();
    const items = window.getByRole('grid', { name: /Items of/ });
    for (const name of ['Photos', 'Documents', 'Music']) {
      await expect(items.getByRole('row', { name: new RegExp(name) })).toContainText('Synced', { timeout: 20_000 });
      await expect(items.getByRole('row', { name: new RegExp(name) })).not.toContainText('Never');
    }
    await expect(window.getByRole('status').first()).not.toBeEmpty();
  });

  test('the context menu offers the toolbar\'s commands for the row it opens on, by mouse and by keyboard', async ({ window }) => {
    const partnerships = window.getByRole('grid', { name: 'Sync partnerships' });
    const row = partnerships.getByRole('row', { name: /Scripted fixture/ });
    await row.click({ button: 'right' });
    const menu = window.getByRole('menu', { name: 'Commands for the selected partnership or item' });
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem')).toHaveText(['Sync', 'Stop', 'Enable', 'Disable', 'Browse', 'Schedule', 'Properties', 'Delete']);
    await expect(menu.getByRole('menuitem', { name: 'Delete' })).toHaveAttribute('aria-disabled', 'true');
    await expect(menu.getByRole('menuitem', { name: 'Sync', exact: true })).not.toHaveAttribute('aria-disabled', 'true');
    await menu.getByRole('menuitem', { name: 'Properties' }).click();
    const properties = window.getByRole('dialog', { name: 'Properties of Scripted fixture' });
    await expect(properties).toBeVisible();
    await properties.getByRole('button', { name: 'Close' }).click();

    await row.focus();
    await window.keyboard.press('Shift+F10');
    await expect(menu).toBeVisible();
    await window.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(row).toBeFocused();
  });
});

test.describe('stopping one item', () => {
  test.use({
    serveOptions: {
      scripted: {
        items: [
          { id: 'archive', name: 'Archive', steps: 400, delayMs: 40 },
          { id: 'notes', name: 'Notes', steps: 15, delayMs: 100 },
        ],
      },
    },
  });

  test('a slow item stops mid-way and shows Canceled while another finishes, then syncs again', async ({ window }) => {
    await window.getByRole('grid', { name: 'Sync partnerships' }).getByRole('row', { name: /Scripted fixture/ }).dblclick();
    const items = window.getByRole('grid', { name: /Items of/ });
    await window.getByRole('toolbar', { name: 'Partnership actions' }).getByRole('button', { name: 'Sync All' }).click();
    const progress = items.getByRole('progressbar', { name: 'Progress of Archive' });
    await expect(progress).toBeVisible();
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await items.getByRole('button', { name: 'Stop Archive' }).click();
    await expect(items.getByRole('row', { name: /Archive/ })).toContainText('Canceled');
    await expect(items.getByRole('row', { name: /Notes/ })).toContainText('Synced', { timeout: 20_000 });
    await expect(items.getByRole('row', { name: /Archive/ })).toContainText('Canceled');
    await expect(items.getByRole('button', { name: 'Sync Archive' })).toBeEnabled();
  });
});

test.describe('failures', () => {
  test.use({ serveOptions: { scripted: { items: [{ id: 'mail', name: 'Mail', steps: 3, outcome: 'throw' }] } } });

  test('a failing item shows an error in Sync results', async ({ window }) => {
    await window.getByRole('toolbar', { name: 'Partnership actions' }).getByRole('button', { name: 'Sync All' }).click();
    await window.getByRole('navigation', { name: 'Sync Center' }).getByRole('button', { name: /Sync results/ }).click();
    const results = window.getByRole('table', { name: 'Sync results' });
    await expect(results.getByRole('row').filter({ hasText: 'Mail' }).first()).toBeVisible({ timeout: 20_000 });
    await expect(results).toContainText(/scripted failure in mail/);
  });
});
