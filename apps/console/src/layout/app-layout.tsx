import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/session';
import { ConnectionIndicator } from '../alerts/connection-indicator';
import { useCriticalAnnouncement } from '../alerts/live-alerts';
import { flushClosures } from '../alerts/pending-closures';

const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  coordinator: 'Care coordinator',
  clinician: 'Clinician',
};

/** Header (who is signed in, where they are, the live connection) around every page. */
export function AppLayout() {
  const { user, signOut, signOutEverywhere } = useSession();
  const announcement = useCriticalAnnouncement();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Homeward</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Alert queue
          </NavLink>
          <NavLink to="/patients">Patients</NavLink>
          {user.role === 'admin' && <NavLink to="/people">People</NavLink>}
          {user.role === 'admin' && <NavLink to="/care-teams">Care teams</NavLink>}
        </nav>
        <ConnectionIndicator />
        <details className="who">
          <summary>
            <span className="who-name">
              {user.displayName}
              <span className="visually-hidden"> (account menu)</span>
            </span>
            <span className="who-detail">
              {ROLE_NAMES[user.role] ?? user.role} · {user.organization.name}
            </span>
          </summary>
          <div className="who-menu">
            <NavLink
              to="/account/security"
              onClick={(event) => {
                // The menu closes once a page is chosen from it.
                const menu = event.currentTarget.closest('details');
                if (menu) menu.open = false;
              }}
            >
              Security and sign-in
            </NavLink>
            <p>Signed in elsewhere too, or lost a device?</p>
            <button
              type="button"
              onClick={() => {
                flushClosures();
                void signOutEverywhere();
              }}
            >
              Sign out everywhere
            </button>
          </div>
        </details>
        <button
          type="button"
          onClick={() => {
            // A resolve held for Undo goes out while the session can still send it.
            flushClosures();
            void signOut();
          }}
        >
          Sign out
        </button>
      </header>
      <p className="visually-hidden" aria-live="assertive">
        {announcement}
      </p>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
