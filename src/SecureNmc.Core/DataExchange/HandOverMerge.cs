using SecureNmc.Core.Devices;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>What importing a handed-over record does to the same card (same id) already here.</summary>
    public enum HandOverDecision
    {
        /// <summary>Not a hand-over (no base revision, or another card at this address): the plain -Conflict rule applies.</summary>
        NotHandedOver,
        /// <summary>Changed over there only, or on neither side: take the incoming record.</summary>
        TakeIncoming,
        /// <summary>Changed here only: keep this (newer) record.</summary>
        KeepHere,
        /// <summary>Changed on both sides since the hand-over: the card was worked on from two places.</summary>
        Conflict,
    }

    /// <summary>
    /// The three-way comparison behind merging a worker's results into the controller's inventory
    /// (Import-NmcBundle -Conflict Overwrite). Each record carries its <see cref="NmcDevice.Revision"/>
    /// and the revision it had when it was handed over (<see cref="NmcDevice.BaseRevision"/>): the
    /// incoming record changed when its revision moved past its base, the one here changed when its
    /// revision is no longer that base.
    /// </summary>
    public static class HandOverMerge
    {
        public static HandOverDecision Decide(NmcDevice here, NmcDevice incoming)
        {
            if (incoming.BaseRevision == null || here.Id != incoming.Id) return HandOverDecision.NotHandedOver;
            var baseRevision = incoming.BaseRevision.Value;
            bool changedThere = incoming.Revision != baseRevision;
            bool changedHere = here.Revision != baseRevision;
            if (changedThere && changedHere) return HandOverDecision.Conflict;
            // Unchanged on both sides, the records are the same: taking the bundle's is harmless and keeps
            // -Conflict Overwrite meaning "overwrite" for every card nobody here touched.
            return changedHere ? HandOverDecision.KeepHere : HandOverDecision.TakeIncoming;
        }
    }
}
