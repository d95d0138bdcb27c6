import { formatCents } from '../money'
import { SERVICE_LABEL, SERVICES } from '../labels'
import type { FeeArrangement } from '../types'

/** E.g. "Sliding scale: KAP session (1-on-1) $350.00", "Standard fees", "Pay what you can". */
export function describeFees(fa: FeeArrangement): string {
  switch (fa.kind) {
    case 'standard':
      return 'Standard fees'
    case 'pay_what_you_can':
      return 'Pay what you can'
    case 'sliding_scale': {
      const parts = [...fa.agreed]
        .sort((a, b) => SERVICES.indexOf(a.service) - SERVICES.indexOf(b.service))
        .map((f) => `${SERVICE_LABEL[f.service]} ${formatCents(f.cents)}`)
      return parts.length ? `Sliding scale: ${parts.join(', ')}` : 'Sliding scale'
    }
  }
}
