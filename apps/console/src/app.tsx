import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AlertQueuePage } from './alerts/alert-queue-page';
import { LiveAlertsProvider } from './alerts/live-alerts';
import { AcceptInvitationPage } from './invitations/accept-invitation-page';
import { ApiError } from './api/client';
import { RequireSession } from './auth/session';
import { AppLayout } from './layout/app-layout';
import { NotFoundPage } from './layout/not-found-page';
import { PatientPage } from './patients/patient-page';
import { PatientsPage } from './patients/patients-page';
import { PeoplePage } from './people/people-page';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // 4xx answers do not get better by asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

const router = createBrowserRouter([
  // Public: the invited person has no session yet.
  { path: 'invitations/accept', element: <AcceptInvitationPage /> },
  {
    element: (
      <RequireSession>
        <LiveAlertsProvider>
          <AppLayout />
        </LiveAlertsProvider>
      </RequireSession>
    ),
    children: [
      { index: true, element: <AlertQueuePage /> },
      { path: 'alerts/:alertId', element: <AlertQueuePage /> },
      { path: 'patients', element: <PatientsPage /> },
      { path: 'patients/:patientId', element: <PatientPage /> },
      { path: 'people', element: <PeoplePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
