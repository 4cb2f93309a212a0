/**
 * The SC2014 demo workload (AIMES EManager, etc/skeleton_demo_SC2014.conf): 20 tasks of 10 s
 * reading 1 MiB and writing 20000 B, then one 32 s task reading all 20 outputs.
 */
export const SC2014_SKELETON_NAME = "skeleton_demo_SC2014.conf";

export const SC2014_SKELETON = `Num_Stage = 2

Stage_Name = Stage_1
    Task_Type = serial
    Num_Tasks = 20
    Task_Length = uniform 10
    Num_Processes = 1
    Read_Buffer = 65536
    Write_Buffer = 65536
    Input_Files_Each_Task = 1
        Input_1.Source = filesystem
        Input_1.Size = uniform 1048576
    Output_Files_Each_Task = 1
        Output_1.Size = uniform 20000
    Interleave_Option = 0

Stage_Name = Stage_2
    Task_Type = serial
    Num_Tasks = 1
    Task_Length = uniform 32
    Num_Processes = 1
    Read_Buffer = 65536
    Write_Buffer = 65536
    Input_Files_Each_Task = 20
        Input_Task_Mapping = combination Stage_1.Output_1 20
    Output_Files_Each_Task = 1
        Output_1.Size = uniform 1048576
    Interleave_Option = 0
`;
