using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Says whether a card holds an active Secure NMC subscription (issue 6 implements it from the
    /// licence records). The planner asks only for cards that would otherwise be updated. With no gate
    /// configured the planner does not gate updates at all: every card counts as licensed, and plans
    /// say so (<see cref="UpdatePlan.SubscriptionChecked"/> is false).
    /// </summary>
    public interface ISubscriptionGate
    {
        SubscriptionCheck Check(NmcDevice device);
    }

    public readonly struct SubscriptionCheck
    {
        public SubscriptionCheck(bool isActive, string? reason)
        {
            IsActive = isActive;
            Reason = reason;
        }

        public bool IsActive { get; }

        /// <summary>Why not, in words the admin can act on (expired on..., wrong family...).</summary>
        public string? Reason { get; }

        public static SubscriptionCheck Active => new SubscriptionCheck(true, null);
        public static SubscriptionCheck Inactive(string reason) => new SubscriptionCheck(false, reason);
    }
}
