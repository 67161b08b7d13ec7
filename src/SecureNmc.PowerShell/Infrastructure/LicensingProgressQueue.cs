using System.Collections.Concurrent;
using System.Collections.Generic;
using SecureNmc.Core.Licensing;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Core's licensing progress, reported from worker threads, held until the pipeline thread writes it.
    /// (Not <see cref="System.Progress{T}"/>: it posts to a synchronization context PowerShell does not pump.)
    /// </summary>
    internal sealed class LicensingProgressQueue : System.IProgress<LicensingProgress>
    {
        private readonly ConcurrentQueue<LicensingProgress> _reports = new ConcurrentQueue<LicensingProgress>();

        public void Report(LicensingProgress value)
        {
            if (value != null) _reports.Enqueue(value);
        }

        /// <summary>Everything reported since the last call, oldest first.</summary>
        public IReadOnlyList<LicensingProgress> Drain()
        {
            var list = new List<LicensingProgress>();
            while (_reports.TryDequeue(out var report)) list.Add(report);
            return list;
        }
    }
}
