/**
 * Long lists stay light: 3,000 conflicts from one sync are all listed and selectable, but only the rows in view
 * are in the page (the conflicts and results tables are virtualized), and scrolling reaches the last one.
 */
import { expect, test } from '../support/fixtures.ts';

const count = 3000;

test.use({ serveOptions: { scripted: { items: [{ id: 'tree', name: 'Whole tree', steps: 1, conflicts: count }] } } });

test(`${count.toLocaleString('en')} conflicts: every one listed and selectable, only the rows in view in the page`, async ({ window }) => {
  await window.getByRole('toolbar', { name: 'Partnership actions' }).getByRole('button', { name: 'Sync All' }).click();
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  await expect(nav.getByRole('button', { name: /Sync conflicts/ })).toContainText('3,000', { timeout: 60_000 });
  await nav.getByRole('button', { name: /Sync conflicts/ }).click();
  const table = window.getByRole('table', { name: 'Sync conflicts' });
  await expect(table).toHaveAttribute('aria-rowcount', String(count + 1));
  await expect(table.getByRole('row', { name: /tree\/file-0\.txt/ })).toBeVisible();
  expect(await table.locator('tbody tr:not(.spacer-row)').count()).toBeLessThan(100);

  await table.getByRole('checkbox', { name: 'Select all conflicts' }).check();
  await expect(window.getByText('3,000 selected')).toBeVisible();

  await window.locator('.table-scroll').evaluate((scroller) => scroller.scrollTo({ top: scroller.scrollHeight }));
  const last = table.getByRole('row', { name: new RegExp(`tree/file-${count - 1}\\.txt`) });
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-rowindex', String(count + 1));
  expect(await table.locator('tbody tr:not(.spacer-row)').count()).toBeLessThan(100);
});
