import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SecurityPage } from './account/security-page';
import { AlertQueuePage } from './alerts/alert-queue-page';
import { LiveAlertsProvider } from './alerts/live-alerts';
import { CareTeamsPage } from './care-teams/care-teams-page';
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

// LiveKit's client and components are most of a visit's code: only visits load them.
const VisitPage = lazy(() => import('./visits/visit-page').then((module) => ({ default: module.VisitPage })));
const PatientJoinPage = lazy(() =>
  import('./visits/patient-join-page').then((module) => ({ default: module.PatientJoinPage })),
);

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

const router = createBrowserRouter([
  // The patient's page: no account, no sign-in; the one-time code in the link is the key.
  {
    path: 'visit/join',
    element: (
      <Loading>
        <PatientJoinPage />
      </Loading>
    ),
  },
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
      {
        path: 'visits/:visitId',
        element: (
          <Loading>
            <VisitPage />
          </Loading>
        ),
      },
      { path: 'people', element: <PeoplePage /> },
      { path: 'account/security', element: <SecurityPage /> },
      { path: 'care-teams', element: <CareTeamsPage /> },
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
