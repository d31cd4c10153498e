export { createAppSyncService, type AppSyncService } from './service';
export { loadSchemaFromAssembly, buildAppSyncSchema } from './schema';
export type {
  AppSyncConfig,
  AppSyncAuthConfig,
  AuthMode,
  DataSourceConfig,
  JsResolverConfig,
  JwtClaims,
} from './config';
