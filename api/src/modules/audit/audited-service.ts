import type { Store } from '../../store/store.ts';
import type { AuditService } from './audit.service.ts';

/** A service whose changes go to the store and, in the same transaction, to the audit log. */
export abstract class AuditedService {
  protected readonly store: Store;
  protected readonly audit: AuditService;

  constructor(store: Store, audit: AuditService) {
    this.store = store;
    this.audit = audit;
  }
}
