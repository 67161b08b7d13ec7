using System;
using System.Collections.Generic;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Export-NmcActivationRequest's result: the file written and the cards that could not go in it.</summary>
    public sealed class OfflineRequestSummary
    {
        public string RequestId { get; set; } = "";
        public string Path { get; set; } = "";
        public int Entries { get; set; }

        /// <summary>Devices left out (not queried, duplicate card), each with the reason.</summary>
        public IReadOnlyList<ActivationOutcome> Skipped { get; set; } = Array.Empty<ActivationOutcome>();
    }

    /// <summary>The submit step's result on the internet-facing machine: the response file and per-card outcomes.</summary>
    public sealed class OfflineSubmitSummary
    {
        public string RequestId { get; set; } = "";
        public string ResponsePath { get; set; } = "";
        public int Entries { get; set; }
        public int Licensed { get; set; }
        public int Failed { get; set; }
        public IReadOnlyList<ActivationOutcome> Outcomes { get; set; } = Array.Empty<ActivationOutcome>();
    }

    /// <summary>Import-NmcActivationResponse's result on the air-gapped machine.</summary>
    public sealed class OfflineImportResult
    {
        public string RequestId { get; set; } = "";

        /// <summary>True when the response answers a request exported from this data folder (then the pending copy is removed).</summary>
        public bool MatchedPendingRequest { get; set; }

        public IReadOnlyList<ActivationOutcome> Outcomes { get; set; } = Array.Empty<ActivationOutcome>();
    }
}
