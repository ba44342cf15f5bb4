import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, succeed, unwrap, type Schemas } from '../api/client';

export type CareTeam = Schemas['CareTeamListItemDto'];

/** The organisation's care teams with their members (every role may read them). */
export function useCareTeams() {
  return useQuery({
    queryKey: ['care-teams'],
    queryFn: () => unwrap(api.GET('/api/care-teams')),
  });
}

/** A change to teams refreshes them, and the patients whose visibility follows them. */
function useTeamMutation<T, R>(call: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['care-teams'] });
      await queryClient.invalidateQueries({ queryKey: ['patient'] });
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
}

export function useCreateCareTeam() {
  return useTeamMutation((name: string) => unwrap(api.POST('/api/care-teams', { body: { name } })));
}

export function useRenameCareTeam() {
  return useTeamMutation(({ careTeamId, name }: { careTeamId: string; name: string }) =>
    unwrap(api.PATCH('/api/care-teams/{careTeamId}', { params: { path: { careTeamId } }, body: { name } })),
  );
}

export function useDeleteCareTeam() {
  return useTeamMutation((careTeamId: string) =>
    succeed(api.DELETE('/api/care-teams/{careTeamId}', { params: { path: { careTeamId } } })),
  );
}

export function useMembership() {
  return useTeamMutation(
    ({ careTeamId, userId, member }: { careTeamId: string; userId: string; member: boolean }) => {
      const params = { path: { careTeamId, userId } };
      return member
        ? succeed(api.PUT('/api/care-teams/{careTeamId}/members/{userId}', { params }))
        : succeed(api.DELETE('/api/care-teams/{careTeamId}/members/{userId}', { params }));
    },
  );
}

export function useSetPatientTeams(patientId: string) {
  return useTeamMutation((careTeamIds: string[]) =>
    unwrap(
      api.PUT('/api/patients/{patientId}/care-teams', {
        params: { path: { patientId } },
        body: { careTeamIds },
      }),
    ),
  );
}
