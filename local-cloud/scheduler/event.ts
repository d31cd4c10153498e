/**
 * What Scheduler sends a target when the schedule has no `Target.Input`. The API reference only
 * says it "delivers a default notification to the target"
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html, Input). As
 * observed (cloud-custodian/cloud-custodian#9566), that notification is an EventBridge event
 * envelope, `source` `aws.scheduler`, `detail-type` `Scheduled Event`, whose `detail` is the
 * string `"{}"` rather than an object.
 */
export function defaultNotification(at: {
  region: string;
  accountId: string;
  scheduleName: string;
  scheduledAt: number;
}) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: at.accountId,
    // Scheduler reports the scheduled time to the second (`2022-03-22T18:59:43Z`).
    time: new Date(at.scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: at.region,
    resources: [
      `arn:aws:scheduler:${at.region}:${at.accountId}:schedule/default/${at.scheduleName}`,
    ],
    detail: '{}',
  };
}
