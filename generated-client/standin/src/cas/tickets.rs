//! CAS service tickets: single use, bound to the service they were issued
//! for, and short-lived.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids;

/// How long a ticket can be validated. The CAS protocol asks for a short
/// life (it suggests at most five minutes); a minute, as for OIDC codes.
const TICKET_LIFETIME: Duration = Duration::from_secs(60);

/// Why a ticket does not validate, as a CAS `authenticationFailure` code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TicketFailure {
    /// `INVALID_TICKET`: unknown, already used or expired.
    InvalidTicket(String),
    /// `INVALID_SERVICE`: issued for another service. The ticket is used up
    /// all the same, as CAS 2.0 §2.5.3 requires.
    InvalidService,
}

#[derive(Debug)]
struct Ticket {
    service: String,
    created: Instant,
    used: bool,
}

/// The tickets issued so far.
#[derive(Debug, Default)]
pub(crate) struct Tickets {
    tickets: HashMap<String, Ticket>,
    issued: u64,
}

impl Tickets {
    /// Issues a ticket for `service`: `ST-…`, as CAS requires.
    pub(crate) fn issue(&mut self, service: &str, now: Instant) -> String {
        self.issued += 1;
        let ticket = format!("ST-{}", ids::token("ticket", self.issued));
        self.tickets.insert(
            ticket.clone(),
            Ticket {
                service: service.to_owned(),
                created: now,
                used: false,
            },
        );
        ticket
    }

    /// Validates `ticket` for `service`, using it up.
    pub(crate) fn redeem(
        &mut self,
        ticket: &str,
        service: &str,
        now: Instant,
    ) -> Result<(), TicketFailure> {
        let Some(entry) = self.tickets.get_mut(ticket) else {
            return Err(TicketFailure::InvalidTicket(format!(
                "ticket {ticket} not recognized"
            )));
        };
        if entry.used {
            return Err(TicketFailure::InvalidTicket(format!(
                "ticket {ticket} has already been used"
            )));
        }
        entry.used = true;
        if now.saturating_duration_since(entry.created) >= TICKET_LIFETIME {
            return Err(TicketFailure::InvalidTicket(format!(
                "ticket {ticket} has expired"
            )));
        }
        if entry.service != service {
            return Err(TicketFailure::InvalidService);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_single_use_bound_and_short_lived() {
        let mut tickets = Tickets::default();
        let now = Instant::now();
        let ticket = tickets.issue("https://app.example/", now);
        assert!(ticket.starts_with("ST-"));
        assert_eq!(tickets.redeem(&ticket, "https://app.example/", now), Ok(()));
        assert!(
            tickets
                .redeem(&ticket, "https://app.example/", now)
                .is_err()
        );

        let other = tickets.issue("https://app.example/", now);
        assert_eq!(
            tickets.redeem(&other, "https://evil.example/", now),
            Err(TicketFailure::InvalidService)
        );
        assert!(tickets.redeem(&other, "https://app.example/", now).is_err());

        let old = tickets.issue("https://app.example/", now);
        let later = now + TICKET_LIFETIME;
        assert!(tickets.redeem(&old, "https://app.example/", later).is_err());
    }
}
