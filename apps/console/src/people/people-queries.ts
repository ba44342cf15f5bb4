import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

/** As admins see a user in the list: the account fields are always there for them. */
export type User = Schemas['UserListItemDto'];
export type UserStatus = Schemas['UserDto']['status'];
export type Role = User['role'];

export const ROLE_OPTIONS: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'coordinator', label: 'Care coordinator' },
  { value: 'clinician', label: 'Clinician' },
  { value: 'admin', label: 'Administrator' },
];

export const STATUS_NAMES: Record<UserStatus, string> = {
  active: 'Active',
  invited: 'Invited (no password yet)',
  disabled: 'Disabled',
};

const PAGE_SIZE = 100;

export function usePeople(offset: number) {
  return useQuery({
    queryKey: ['people', offset],
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { limit: PAGE_SIZE, offset } } })),
  });
}

export { PAGE_SIZE as PEOPLE_PAGE_SIZE };

/** Every change to a user refreshes the list, the colleagues work is assigned to and the care teams. */
function useUserMutation<T, R>(call: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['people'] });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      // A new user may join teams; a disabled one stays listed in theirs.
      await queryClient.invalidateQueries({ queryKey: ['care-teams'] });
    },
  });
}

export function useInvite() {
  return useUserMutation((body: { email: string; name: string; role: Role; careTeamIds?: string[] }) =>
    unwrap(api.POST('/api/users', { body })),
  );
}

export function useChangeRole() {
  return useUserMutation(({ id, role }: { id: string; role: Role }) =>
    unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: { role } })),
  );
}

export function useSetDisabled() {
  return useUserMutation(({ id, disabled }: { id: string; disabled: boolean }) =>
    disabled
      ? unwrap(api.POST('/api/users/{id}/disable', { params: { path: { id } } }))
      : unwrap(api.POST('/api/users/{id}/enable', { params: { path: { id } } })),
  );
}

export function useResendInvitation() {
  return useUserMutation(({ id }: { id: string }) =>
    unwrap(api.POST('/api/users/{id}/invitation', { params: { path: { id } } })),
  );
}

/** Forgets a user's authenticator app (a lost phone) and ends their sessions. */
export function useResetAuthenticator() {
  return useUserMutation(async ({ id }: { id: string }) => {
    const result = await api.POST('/api/users/{id}/mfa/reset', { params: { path: { id } } });
    // 204 has no data for `unwrap`; it throws the server's message for anything else.
    if (!result.response.ok) await unwrap(Promise.resolve(result));
  });
}
