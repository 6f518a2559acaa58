import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/fixtures.ts';

test.use({ serveOptions: { scripted: { items: [{ id: 'photos', name: 'Photos', steps: 2 }, { id: 'clash', name: 'Clash', steps: 2, conflicts: 1 }] } } });

test('the French switch translates the window', async ({ window }) => {
  await window.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Français' });
  await expect(window.getByRole('heading', { name: 'Partenariats de synchronisation', exact: true })).toBeVisible();
  await expect(window.getByRole('button', { name: 'Tout synchroniser' })).toBeVisible();
  await expect(window.locator('html')).toHaveAttribute('lang', 'fr');
});

test('axe finds no serious or critical violation in any view, light or dark', async ({ window }) => {
  await window.getByRole('button', { name: 'Sync All' }).click();
  const nav = window.getByRole('navigation', { name: 'Sync Center' });
  const views = [/Sync partnerships/, /Sync conflicts/, /Sync results/, /Set up new sync partnerships/];
  for (const scheme of ['light', 'dark'] as const) {
    await window.emulateMedia({ colorScheme: scheme });
    for (const view of views) {
      await nav.getByRole('button', { name: view }).click();
      const { violations } = await new AxeBuilder({ page: window }).analyze();
      const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious.map((violation) => `${scheme} ${String(view)}: ${violation.id}: ${violation.nodes.map((node) => `${node.target.join(' ')} ${node.failureSummary ?? ''}`).join(', ')}`)).toEqual([]);
    }
  }
});

test('keyboard alone reaches every view', async ({ window }) => {
  await window.getByRole('navigation', { name: 'Sync Center' }).getByRole('button', { name: /Sync partnerships/ }).focus();
  await window.keyboard.press('ArrowDown');
  await window.keyboard.press('Enter');
  await expect(window.getByRole('heading', { name: 'Sync conflicts', exact: true })).toBeVisible();
  await window.keyboard.press('ArrowDown');
  await window.keyboard.press('Enter');
  await expect(window.getByRole('heading', { name: 'Sync results', exact: true })).toBeVisible();
});
