// Package replies is the moment a customer's answer becomes knowledge: it
// stores the reply, scores it on the three dimensions of justice and, when it
// is negative, opens its complaint, all in one transaction. It orchestrates
// the surveys (the response), scheduler (the invitation answered) and
// complaints packages and, like them, knows nothing of HTTP or queues: the survey page calls Submit, the response:score task calls
// Score for replies stored without their scores.
//
// Tables: none of its own. The response is written through surveys.Store,
// its invitation marked answered through scheduler.Store, the complaint
// opened through complaints.Store and the alert and acknowledgement through
// feedback, all in the one transaction. It must never write SQL of its own.
package replies
