/** Who is signed in, shared by every page (role decides which pages and actions are offered). */
import { createContext, useContext } from 'solid-js';
import type { MeQuery } from './graphql/generated.ts';

export type Me = MeQuery['me'];
export const MeContext = createContext<() => Me | undefined>(() => undefined);
export const useMe = () => useContext(MeContext);

export const canReview = (me: Me | undefined) => me?.role === 'ADMIN' || me?.role === 'REVIEWER';
export const isAdmin = (me: Me | undefined) => me?.role === 'ADMIN';
export const canAudit = (me: Me | undefined) => me?.role === 'ADMIN' || me?.role === 'AUDITOR';
