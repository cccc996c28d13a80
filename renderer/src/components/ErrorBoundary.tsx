import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/** Catches a crash in a screen and offers a way back, without showing a stack or any data. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Only the kind of error: its message could hold data from the screen.
    console.error('ui.crash', error.name, info.componentStack?.split('\n').length ?? 0);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Center h="100vh" p="xl">
        <Alert color="red" title="This screen stopped working" maw={520}>
          <Stack gap="sm">
            <Text size="sm">
              Nothing you saved is lost. Reload the screen to continue; if it happens again, note what you did and tell
              your IT team.
            </Text>
            <Button variant="light" color="red" onClick={() => window.location.reload()} w="fit-content">
              Reload the screen
            </Button>
          </Stack>
        </Alert>
      </Center>
    );
  }
}
