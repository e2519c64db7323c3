// Package campaignfix plays a campaign's last fortnight through the code
// that runs it in production — events recorded by the intake, due sends
// claimed into batches, vetted at send time, marked sent or failed,
// answered, expired — with the times it chooses, so tests of campaign stats
// know every figure in advance. Only the SMTP exchange is left out: the
// fixture decides what the mail server said.
//
// Tables: none directly; every row goes through the stores that own them
// (customers, scheduler, surveys). For tests only, never imported by the
// product.
package campaignfix
