import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Schemas } from '../api/client';

export type SingleSignOnProvider = Schemas['OidcProviderDto'];
export type SingleSignOnChange = Schemas['OidcProviderPutDto'];

const KEY = ['single-sign-on'];

/** The organisation's single sign-on (`configured: false` when off). */
export function useSingleSignOnProvider() {
  return useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET('/api/admin/oidc')) });
}

export function useSaveSingleSignOn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SingleSignOnChange) => unwrap(api.PUT('/api/admin/oidc', { body })),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
  });
}

export function useRemoveSingleSignOn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { response } = await api.DELETE('/api/admin/oidc');
      if (!response.ok && response.status !== 404)
        throw new ApiError(response.status, `The server answered ${response.status}`, null);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
