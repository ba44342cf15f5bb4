import { useSession } from '../auth/session';

/** Whether the signed-in user may register patients and devices: coordinators and admins. */
export function useCanRegister(): boolean {
  const { user } = useSession();
  return user.role === 'admin' || user.role === 'coordinator';
}
