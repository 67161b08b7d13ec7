using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// The job source for Invoke-NmcFirmwareUpdate -AsJob jobs (PSJobTypeName "NmcFirmwareUpdateJob").
    /// Import-Module registers this public adapter with the session's JobManager, which is where
    /// Get-Job, Wait-Job, Receive-Job and Remove-Job find the jobs (they are not also put in the
    /// session's JobRepository, or Get-Job would list each twice). The same process-wide index lets
    /// Stop-NmcFirmwareUpdate and Get-NmcFirmwareUpdate find the runs behind them.
    /// </summary>
    public sealed class FirmwareUpdateJobSourceAdapter : JobSourceAdapter
    {
        public const string AdapterName = "NmcFirmwareUpdateJob";
        private static readonly ConcurrentDictionary<Guid, FirmwareUpdateJob> Jobs = new ConcurrentDictionary<Guid, FirmwareUpdateJob>();

        public FirmwareUpdateJobSourceAdapter() => Name = AdapterName;

        internal static FirmwareUpdateJobSourceAdapter Instance { get; } = new FirmwareUpdateJobSourceAdapter();

        internal void Add(FirmwareUpdateJob job) => Jobs[job.InstanceId] = job;

        internal static IReadOnlyList<FirmwareUpdateJob> All => Jobs.Values.OrderBy(j => j.Id).ToList();

        /// <summary>
        /// A firmware job can only be created by Invoke-NmcFirmwareUpdate -AsJob (it carries live
        /// devices, credentials and plans, which a job definition cannot); asked to create one from a
        /// definition, the adapter says so.
        /// </summary>
        public override Job2 NewJob(JobInvocationInfo specification) =>
            throw new PSNotSupportedException("Firmware update jobs are created with Invoke-NmcFirmwareUpdate -AsJob.");

        public override IList<Job2> GetJobs() => All.Cast<Job2>().ToList();

        public override IList<Job2> GetJobsByName(string name, bool recurse)
        {
            var pattern = new WildcardPattern(name ?? "*", WildcardOptions.IgnoreCase);
            return All.Where(j => pattern.IsMatch(j.Name)).Cast<Job2>().ToList();
        }

        public override IList<Job2> GetJobsByCommand(string command, bool recurse)
        {
            var pattern = new WildcardPattern(command ?? "*", WildcardOptions.IgnoreCase);
            return All.Where(j => pattern.IsMatch(j.Command)).Cast<Job2>().ToList();
        }

        public override Job2 GetJobByInstanceId(Guid instanceId, bool recurse) =>
            Jobs.TryGetValue(instanceId, out var job) ? job : null!;

        public override Job2 GetJobBySessionId(int id, bool recurse) =>
            All.FirstOrDefault(j => j.Id == id)!;

        public override IList<Job2> GetJobsByState(JobState state, bool recurse) =>
            All.Where(j => j.JobStateInfo.State == state).Cast<Job2>().ToList();

        public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) =>
            new List<Job2>(); // no filterable properties beyond name, command and state

        public override void RemoveJob(Job2 job)
        {
            if (job == null) return;
            if (job is FirmwareUpdateJob running && !running.IsDone) throw new InvalidOperationException($"Job {job.Name} is still running; stop it with Stop-Job or Stop-NmcFirmwareUpdate first.");
            Jobs.TryRemove(job.InstanceId, out _);
        }
    }
}
