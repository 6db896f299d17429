package hark.upload;

import hark.testing.BlockHoundIsOn;

/** This module's tests run under BlockHound: see {@link BlockHoundIsOn}. */
class BlockHoundIsOnTest extends BlockHoundIsOn {}
