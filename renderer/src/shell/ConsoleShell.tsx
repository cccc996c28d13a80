import { ActionIcon, AppShell, Burger, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { type ReactNode, useEffect, useRef } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { AboutDialog } from '../components/AboutDialog';
import { ConnectionIndicator } from './ConnectionIndicator';
import { JobsIndicator } from './JobsIndicator';
import { sections } from './sections';

export function ConsoleShell({
  children,
  aboutOpened,
  onAboutOpen,
  onAboutClose,
}: {
  children: ReactNode;
  aboutOpened: boolean;
  onAboutOpen: () => void;
  onAboutClose: () => void;
}) {
  const [navOpened, { toggle }] = useDisclosure();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new page starts at its top, and focus moves to it (screen readers announce the new page;
  // the keyboard goes on from there instead of from the link left behind).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <a href="#main-content" className="skip-link" onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}>
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4} style={{ whiteSpace: 'nowrap' }}>
              MSO Admin Console
            </Title>
          </Group>
          <Group gap="md" wrap="nowrap">
            <JobsIndicator />
            <ConnectionIndicator />
            <Tooltip label="About this console">
              <ActionIcon variant="subtle" color="gray" size="lg" onClick={onAboutOpen} aria-label="About MSO Admin Console">
                <IconInfoCircle size={20} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {sections.map((section) => (
          <NavLink
            key={section.path}
            component={RouterLink}
            to={section.path}
            label={section.label}
            leftSection={<section.icon size={18} stroke={1.6} />}
            active={location.pathname.startsWith(section.path)}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          Changes here open or close access to health records. Every change says what it will do first.
        </Text>
      </AppShell.Navbar>
      <AppShell.Main id="main-content" ref={main} tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </AppShell.Main>
      <AboutDialog opened={aboutOpened} onClose={onAboutClose} />
    </AppShell>
  );
}
