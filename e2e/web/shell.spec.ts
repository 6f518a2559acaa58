import { expect, inElectron, test } from '../support/fixtures.ts';

/** Why the token checks skip in the electron project. */
const noWebHostToken =
  'electron project: the desktop window loads app://sync-center/ (main/appProtocol.ts) and talks over IPC, so it has no web-host token to keep out of the address bar';

test.describe('Sync Center window', () => {
  test('opens with the navigation and the built-in handlers, no partnerships yet', async ({ window }) => {
    const nav = window.getByRole('navigation', { name: 'Sync Center' });
    await expect(nav).toBeVisible();
    for (const name of ['Sync partnerships', 'Sync conflicts', 'Sync results', 'Set up new sync partnerships']) {
      await expect(nav.getByRole('link', { name: new RegExp(name) }).or(nav.getByRole('button', { name: new RegExp(name) }))).toBeVisible();
    }
    await expect(window.getByRole('heading', { name: 'Sync partnerships', exact: true })).toBeVisible();
    const grid = window.getByRole('grid', { name: /sync partnerships/i });
    await expect(grid.getByRole('row', { name: /XML replicas/ })).toBeVisible();
    await expect(grid.getByRole('row', { name: /Folders/ })).toBeVisible();
  });

  test('keeps the token out of the address bar', async ({ window }, testInfo) => {
    test.skip(inElectron(testInfo), noWebHostToken);
    await expect(window.getByRole('navigation', { name: 'Sync Center' })).toBeVisible();
    expect(window.url()).not.toContain('token=');
  });

  test('without a token explains how to open the window', async ({ window, host }, testInfo) => {
    test.skip(inElectron(testInfo), noWebHostToken);
    await window.goto(host.origin + '/');
    await window.evaluate(() => sessionStorage.clear());
    await window.goto(host.origin + '/');
    await expect(window.getByText(/synccenter serve/)).toBeVisible();
  });
});
