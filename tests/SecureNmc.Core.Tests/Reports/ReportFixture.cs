using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Reports;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Reports
{
    /// <summary>A small fleet after a partly failed run, with hostile names and secrets that must never reach a report.</summary>
    internal sealed class ReportFixture
    {
        public const string ScriptName = "<script>alert(1)</script>";
        public const string AttributeBreakName = "\"><img src=x onerror=alert(2)>";
        public const string FormulaName = "=cmd|' /C calc'!A0";
        public const string ActivationId = "AID-SU-3Y-SECRETSECRET7F3A";
        public const string UserName = "report-admin-user";
        public const string ProtectedPassword = "PROTECTED-PASSWORD-BLOB-do-not-leak";
        public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        public List<NmcDevice> Devices { get; } = new List<NmcDevice>();
        public Dictionary<Guid, SubscriptionStatus> Subscriptions { get; } = new Dictionary<Guid, SubscriptionStatus>();
        public List<JournalRecord> Journal { get; } = new List<JournalRecord>();
        public Guid RunId { get; } = Guid.NewGuid();

        public ReportFixture()
        {
            var updated = Add(ScriptName, ApplicationType.SU, "2.9.0.1", DeviceStatus.UpdateComplete);
            var failed = Add(AttributeBreakName, ApplicationType.SU, "2.5.0.6", DeviceStatus.UpdateError);
            var formula = Add(FormulaName, ApplicationType.RPDU2G, "2.5.0.6", DeviceStatus.ActivateSubscriptionToUpdate);
            Add("creds", ApplicationType.SY, "2.5.0.6", DeviceStatus.IncorrectCredentials);
            Add("offline", ApplicationType.SY, "2.9.0.1", DeviceStatus.NotAccessible);
            var nmc2 = Add("old-card", null, "6.9.6", DeviceStatus.Unknown);
            nmc2.Model = "AP9631";
            nmc2.AosVersion = "6.9.6";

            Subscriptions[updated.Id] = new SubscriptionStatus { State = SubscriptionState.Active, Kind = SubscriptionKind.Purchased, ActivationId = ActivationId,
                PartNumber = "SWNMC3SU-3Y-DIGI", ActivatedOn = new DateTime(2025, 1, 1), ExpiresOn = new DateTime(2028, 1, 1), DaysLeft = 394 };
            Subscriptions[failed.Id] = new SubscriptionStatus { State = SubscriptionState.ExpiringSoon, Kind = SubscriptionKind.Included,
                ActivatedOn = new DateTime(2025, 12, 20), ExpiresOn = new DateTime(2026, 12, 20), DaysLeft = 17 };
            Subscriptions[formula.Id] = new SubscriptionStatus { State = SubscriptionState.Expired, Kind = SubscriptionKind.Included,
                ActivatedOn = new DateTime(2025, 11, 1), ExpiresOn = new DateTime(2026, 11, 1), DaysLeft = -32 };

            var run = RunId.ToString();
            Journal.Add(new JournalRecord { Time = "2026-12-03T10:00:00.000Z", RunId = run, Kind = JournalRecord.RunStartedKind, Cards = 3 });
            Journal.Add(Card(updated, "2026-12-03T10:00:01.000Z", "UpdatingFirmware", 1));
            Journal.Add(Finished(updated, "2026-12-03T10:02:00.000Z", "UpdateComplete", "Updated", 1, 119000, null));
            Journal.Add(Finished(formula, "2026-12-03T10:00:02.000Z", "ActivateSubscriptionToUpdate", "Skipped", 0, 0, "no active subscription"));
            Journal.Add(Finished(failed, "2026-12-03T10:05:00.000Z", "UpdateError", "Failed", 3, 299000, "upload dropped <b>twice</b>"));
            Journal.Add(new JournalRecord { Time = "2026-12-03T10:05:01.000Z", RunId = run, Kind = JournalRecord.RunFinishedKind, Cards = 3 });
        }

        public FirmwareCatalog Catalog { get; } = new FirmwareCatalog(new[]
        {
            Package("apc_hw21_su_2.9.0.1.nmc3"), Package("apc_hw21_su_2.5.0.6.nmc3"), Package("apc_hw21_sy_2.9.0.1.nmc3"), Package("apc_hw21_rpdu2g_2.9.0.1.nmc3"),
        });

        public FleetReportInput Input() => new FleetReportInput
        {
            Devices = Devices, Catalog = Catalog, Subscriptions = Subscriptions, Journal = Journal, Now = Now,
        };

        public FleetReport Build() => FleetReportBuilder.Build(Input());

        private NmcDevice Add(string name, ApplicationType? type, string version, DeviceStatus status)
        {
            var d = new NmcDevice
            {
                Name = name, Host = "10.9.0." + (Devices.Count + 1), ApplicationType = type, ApplicationVersion = version, Status = status,
                Model = type == null ? null : "AP9641", SerialNumber = "ZA21000000" + Devices.Count, UserName = UserName, ProtectedPassword = ProtectedPassword,
            };
            Devices.Add(d);
            return d;
        }

        private JournalRecord Card(NmcDevice d, string time, string status, int attempt) => new JournalRecord
        {
            Time = time, RunId = RunId.ToString(), Kind = JournalRecord.CardKind, DeviceId = d.Id.ToString(), DeviceName = d.Name, Host = d.Host,
            Status = status, Attempt = attempt, From = "su 2.5.0.6", To = "su 2.9.0.1",
        };

        private JournalRecord Finished(NmcDevice d, string time, string status, string outcome, int attempts, long ms, string? detail) => new JournalRecord
        {
            Time = time, RunId = RunId.ToString(), Kind = JournalRecord.CardFinishedKind, DeviceId = d.Id.ToString(), DeviceName = d.Name, Host = d.Host,
            Status = status, Attempt = attempts, From = "su 2.5.0.6", To = "su 2.9.0.1", Outcome = outcome, DurationMs = ms, Detail = detail,
        };

        private static FirmwarePackage Package(string file) => new FirmwarePackage(FirmwarePackageName.Parse(file), 1000, new string('a', 64));
    }
}
