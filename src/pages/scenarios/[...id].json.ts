// Precomputed results of one scenario on every supported version (fetched on first interaction).
import type { APIRoute, GetStaticPaths } from 'astro';
import { listScenarios } from '../../site/scenarios';
import { scenarioData } from '../../site/playground-model';

export const getStaticPaths: GetStaticPaths = () => listScenarios().map((id) => ({ params: { id } }));
export const GET: APIRoute = ({ params }) => new Response(JSON.stringify(scenarioData(params.id!).data), { headers: { 'content-type': 'application/json' } });
