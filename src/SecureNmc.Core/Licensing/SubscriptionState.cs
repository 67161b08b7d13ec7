namespace SecureNmc.Core.Licensing
{
    /// <summary>What a card's subscription means today (Get-NmcSubscription's State column).</summary>
    public enum SubscriptionState
    {
        /// <summary>No subscription is known for the card.</summary>
        None = 0,
        /// <summary>The 1-year subscription included with cards bought from 1 April 2024, more than 30 days left.</summary>
        Included,
        /// <summary>A purchased (Activation ID) subscription with more than 30 days left.</summary>
        Active,
        /// <summary>30 days or fewer left (the SNS Tool's amber icon): renew before it expires.</summary>
        ExpiringSoon,
        /// <summary>Past its expiry day; cannot be renewed, a new Activation ID is needed.</summary>
        Expired,
    }

    /// <summary>Where a subscription came from.</summary>
    public enum SubscriptionKind
    {
        /// <summary>The 1-year subscription included with the card (found by Check License, no Activation ID).</summary>
        Included = 0,
        /// <summary>A purchased subscription activated with an Activation ID.</summary>
        Purchased = 1,
    }
}
