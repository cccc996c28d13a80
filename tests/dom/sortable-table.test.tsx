import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ClinicianRow } from '../../preload/api/schemas/enrollment';
import { ClinicianTable } from '../../renderer/src/people/ClinicianTable';

const row = (practitionerId: string, name: string, npi: string | null, clinics: number): ClinicianRow => ({
  practitionerId,
  name,
  npi,
  email: `${practitionerId}@example.test`,
  clinics: Array.from({ length: clinics }, (_, index) => ({ id: `c${index}`, name: `Clinic ${index}` })),
});

function names(): string[] {
  const table = screen.getByTestId('clinicians-table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((tr) => within(tr).getAllByRole('cell')[0]?.textContent ?? '');
}

describe('sortable clinician table', () => {
  it('sorts by family name first, and by another column (both ways) when its header is clicked', async () => {
    render(
      <MantineProvider>
        <MemoryRouter>
          <ClinicianTable clinicians={[row('a', 'Dr. Zoe Adams', '1234567893', 1), row('b', 'Amy Young', null, 3), row('c', 'Dr. Bo Kim', '1000000004', 2)]} />
        </MemoryRouter>
      </MantineProvider>,
    );
    expect(names()).toEqual(['Dr. Zoe Adams', 'Dr. Bo Kim', 'Amy Young']);
    await userEvent.click(screen.getByRole('button', { name: /Clinics/ }));
    expect(names()).toEqual(['Dr. Zoe Adams', 'Dr. Bo Kim', 'Amy Young']);
    await userEvent.click(screen.getByRole('button', { name: /Clinics/ }));
    expect(names()).toEqual(['Amy Young', 'Dr. Bo Kim', 'Dr. Zoe Adams']);
    expect(screen.getByRole('columnheader', { name: /Clinics/ })).toHaveAttribute('aria-sort', 'descending');
  });
});
